import LogOps
import PipelineCore
import Prometheus
import Telemetry

/// What a `filelog` receiver reports beyond accepted and refused records, every series resolved
/// when it starts (an operator's for each operator type it runs).
struct FileLogCounters: Sendable {
    /// Files open for reading (followed, or finishing after a rotation).
    let files: Gauge
    let bytesRead: Counter
    private let altered: LabeledCounters
    /// By operator type, then error code.
    private let operatorErrors: [String: LabeledCounters]
    private let unknownOperatorErrors: @Sendable (String) -> LabeledCounters
    private let events: LabeledCounters

    init(telemetry: SelfTelemetry, id: ComponentID, operatorTypes: [String]) {
        let labels = [("receiver", id.description)]
        files = telemetry.gauge("otelsw_receiver_filelog_open_files", labels: labels, help: "Files the receiver has open.")
        bytesRead = telemetry.counter("otelsw_receiver_filelog_read_bytes_total", labels: labels, help: "Bytes read from files.")
        altered = telemetry.counters("otelsw_receiver_filelog_altered_records_total", labels: labels, by: "reason", values: ["max_log_size", "invalid_utf8"],
                                     help: "Records cut at max_log_size or with invalid UTF-8 replaced, by reason.")
        let codes = OperatorError.Code.allCases.map(\.rawValue)
        @Sendable func errors(_ type: String) -> LabeledCounters {
            telemetry.counters("otelsw_receiver_filelog_operator_errors_total", labels: labels + [("operator", type)], by: "error", values: codes,
                               help: "Records an operator failed on, by operator type and error; on_error decides whether they went on.")
        }
        operatorErrors = Dictionary(Set(operatorTypes).map { ($0, errors($0)) }, uniquingKeysWith: { a, _ in a })
        unknownOperatorErrors = errors
        events = telemetry.counters("otelsw_receiver_filelog_file_events_total", labels: labels, by: "event",
                                    values: ["opened", "rotated", "closed", "truncated", "copy_followed", "read_error"],
                                    help: "Files opened, rotated, truncated, followed into their copy, or failing to read.")
    }

    /// Records changed on the way in, by reason: `max_log_size` (cut), `invalid_utf8` (bytes replaced).
    func records(_ n: Int, reason: String) {
        altered.increment(reason, by: n)
    }

    /// An operator failed on a record (`error` is its code: `parse_failed`, `missing_field`, ...).
    func operatorError(_ operatorType: String, error: String) {
        (operatorErrors[operatorType] ?? unknownOperatorErrors(operatorType)).increment(error)
    }

    /// A file event: `opened`, `rotated` (found under another name), `closed` (gone from the
    /// matched paths, finished through its open handle), `truncated` (content replaced in place;
    /// what was not read yet is gone from it), `copy_followed` (reading went on in the copy of a
    /// truncated file), `read_error`.
    func event(_ event: String) {
        events.increment(event)
    }
}
