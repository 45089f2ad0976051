/// Polls `condition` until it holds or `timeout` has passed, and says whether it held.
/// For waiting on something another task or process does; never for proving that something did not happen.
///
/// The condition is checked first, then every `interval`, and once more after the deadline, so one
/// that comes true at the very end still counts. When the task is cancelled the waiting stops and
/// the condition's last value (false) is returned.
@discardableResult
public func eventually(timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(20),
                       _ condition: () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try await condition() { return true }
        // `try?`: a cancelled sleep returns at once; the check below then ends the wait.
        try? await Task.sleep(for: interval)
        if Task.isCancelled { return false }
    }
    return try await condition()
}
