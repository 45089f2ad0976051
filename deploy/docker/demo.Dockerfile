# The demo platform's image: the four sample services, the load generator and the auto-heal
# responder, built from demo/ (a package of its own) in release. Each container runs one of them:
#
#   docker build -f deploy/docker/demo.Dockerfile -t otelsw-demo .
#   docker run --rm -p 8081:8081 otelsw-demo user
#
# Binaries: order user product payment loadgen responder, all in /usr/local/bin.

# ---- build ----
FROM swift:6.3-noble AS build
WORKDIR /build/demo
COPY demo/Package.* ./
RUN swift package resolve
# The test targets' directories too: the manifest names them.
COPY demo/Sources ./Sources
COPY demo/Tests ./Tests
RUN swift build -c release \
    && bin="$(swift build -c release --show-bin-path)" \
    && mkdir -p /staging \
    && for program in order user product payment loadgen responder; do \
           install -m 0755 "$bin/$program" /staging/ || exit 1; \
       done

# ---- run ----
# The slim image of the same Swift release: the Swift runtime libraries, and libcurl for the
# responder's HTTP actions (FoundationNetworking).
FROM swift:6.3-noble-slim
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin demo \
    && install -d -o demo -g demo /var/log/demo /var/log/responder
# /var/log/demo: the services' LOG_DIR in the demo stack; /var/log/responder: the responder's audit
# log. Owned by the runtime user so that fresh volumes mounted there are writable. The uid is the
# otelsw image's: the responder may then signal the agent when the two share a process namespace.
COPY --from=build /staging/ /usr/local/bin/
USER demo
WORKDIR /var/log/demo
EXPOSE 8080 8081 8082 8084 9095
