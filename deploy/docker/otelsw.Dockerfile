# The otelsw agent image. Build from the repository root:
#
#   docker build -f deploy/docker/otelsw.Dockerfile -t otelsw .
#   docker run --rm -p 4318:4318 otelsw --pipeline /etc/otelsw/pipeline.yaml
#
# The image carries pipelines/default.yaml as /etc/otelsw/pipeline.yaml; mount another file (or a
# directory, for reloads on edit) and pass --pipeline to run something else. `otelsw validate
# --pipeline FILE` works the same way, since the entrypoint is the bare binary.

# ---- build ----
FROM swift:6.3-noble AS build
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# The manifest (and Package.resolved when there is one) first, so that a change to the sources
# does not fetch the dependencies again.
COPY Package.* ./
RUN swift package resolve
# The manifest declares the test targets too, so their directories must exist to load it.
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product otelsw \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/otelsw" /staging/otelsw

# ---- run ----
# The slim image of the same Swift release and distribution: the Swift runtime libraries, no compiler.
FROM swift:6.3-noble-slim
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends ca-certificates zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --no-create-home --home-dir /var/lib/otelsw \
        --shell /usr/sbin/nologin otelsw \
    && install -d -o otelsw -g otelsw /var/lib/otelsw /var/log/demo /etc/otelsw/pipelines
# /var/lib/otelsw: file_storage (checkpoints, persistent queues). /var/log/demo: where the demo
# stack mounts the services' logs; made here with the same owner as in the demo image, so that a
# fresh volume mounted there first is writable by the services. The uid matches the demo image's.
COPY --from=build /staging/otelsw /usr/local/bin/otelsw
COPY pipelines/default.yaml /etc/otelsw/pipeline.yaml
USER otelsw
WORKDIR /var/lib/otelsw
# OTLP gRPC, OTLP HTTP, the agent's own /metrics (with the pipeline's service.telemetry address).
EXPOSE 4317 4318 8888
ENTRYPOINT ["/usr/local/bin/otelsw"]
CMD ["--pipeline", "/etc/otelsw/pipeline.yaml"]
