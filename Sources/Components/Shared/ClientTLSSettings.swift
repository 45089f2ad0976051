import Configuration

/// The `tls` settings of a client (an exporter) while otelsw speaks plain text only: `insecure`
/// and `insecure_skip_verify` are read, every setting that would need TLS is reported as not
/// supported yet, at its line.
enum ClientTLSSettings {
    static let unsupported = ["ca_file", "ca_pem", "cert_file", "cert_pem", "key_file", "key_pem", "server_name_override"]

    /// Reads `tls` under `r` if present; returns `tls.insecure` (false when absent).
    static func read(_ r: ConfigReader) -> Bool {
        guard let tls = r.section("tls") else { return false }
        let insecure = tls.bool("insecure", default: false)
        _ = tls.bool("insecure_skip_verify", default: false)
        for key in unsupported where tls.has(key) {
            tls.error("'tls.\(key)' is not supported yet", key: key)
            _ = tls.raw(key)
        }
        tls.finish()
        return insecure
    }
}
