import OTelModel
import PipelineCore

/// A payload whose attributes the `attributes` and `resource` processors edit.
///
/// Only what an action changed is written back, so a payload nobody changed keeps the request
/// bytes it was decoded from and is not encoded again.
protocol AttributeEditable: SignalData {
    /// Applies `actions` to the attributes of the items `selection` selects: span attributes, log
    /// record attributes, or the attributes of every data point of a metric.
    mutating func applyAttributeActions(_ actions: AttributeActions, selection: Selection, context: [AnyValue?])
    /// Applies `actions` to every resource's attributes.
    mutating func applyResourceActions(_ actions: AttributeActions, context: [AnyValue?])
}

extension Resource? {
    /// The resource after `actions`, or nil when they changed nothing.
    func applying(_ actions: AttributeActions, context: [AnyValue?]) -> Resource? {
        var attributes = self?.attributes ?? []
        guard actions.apply(to: &attributes, context: context) else { return nil }
        var resource = self ?? Resource()
        resource.attributes = attributes
        return resource
    }
}

extension TracesData: AttributeEditable {
    mutating func applyAttributeActions(_ actions: AttributeActions, selection: Selection, context: [AnyValue?]) {
        for r in resourceSpans.indices {
            let resource = resourceSpans[r].resource
            for s in resourceSpans[r].scopeSpans.indices {
                let partial = selection.partial(resource, resourceSpans[r].scopeSpans[s].scope)
                if !partial.include { continue }
                for i in resourceSpans[r].scopeSpans[s].spans.indices {
                    let span = resourceSpans[r].scopeSpans[s].spans[i]
                    guard selection.selects(partial, { $0.matchesSpan(span) }) else { continue }
                    var attributes = span.attributes
                    if actions.apply(to: &attributes, context: context) {
                        resourceSpans[r].scopeSpans[s].spans[i].attributes = attributes
                    }
                }
            }
        }
    }

    mutating func applyResourceActions(_ actions: AttributeActions, context: [AnyValue?]) {
        for r in resourceSpans.indices {
            if let changed = resourceSpans[r].resource.applying(actions, context: context) { resourceSpans[r].resource = changed }
        }
    }
}

extension LogsData: AttributeEditable {
    mutating func applyAttributeActions(_ actions: AttributeActions, selection: Selection, context: [AnyValue?]) {
        for r in resourceLogs.indices {
            let resource = resourceLogs[r].resource
            for s in resourceLogs[r].scopeLogs.indices {
                let partial = selection.partial(resource, resourceLogs[r].scopeLogs[s].scope)
                if !partial.include { continue }
                for i in resourceLogs[r].scopeLogs[s].logRecords.indices {
                    let record = resourceLogs[r].scopeLogs[s].logRecords[i]
                    guard selection.selects(partial, { $0.matchesLog(record) }) else { continue }
                    var attributes = record.attributes
                    if actions.apply(to: &attributes, context: context) {
                        resourceLogs[r].scopeLogs[s].logRecords[i].attributes = attributes
                    }
                }
            }
        }
    }

    mutating func applyResourceActions(_ actions: AttributeActions, context: [AnyValue?]) {
        for r in resourceLogs.indices {
            if let changed = resourceLogs[r].resource.applying(actions, context: context) { resourceLogs[r].resource = changed }
        }
    }
}

extension MetricsData: AttributeEditable {
    mutating func applyAttributeActions(_ actions: AttributeActions, selection: Selection, context: [AnyValue?]) {
        for r in resourceMetrics.indices {
            let resource = resourceMetrics[r].resource
            for s in resourceMetrics[r].scopeMetrics.indices {
                let partial = selection.partial(resource, resourceMetrics[r].scopeMetrics[s].scope)
                if !partial.include { continue }
                for m in resourceMetrics[r].scopeMetrics[s].metrics.indices {
                    var metric = resourceMetrics[r].scopeMetrics[s].metrics[m]
                    guard selection.selects(partial, { $0.matchesMetric(metric) }) else { continue }
                    if metric.data.applyAttributeActions(actions, context: context) {
                        resourceMetrics[r].scopeMetrics[s].metrics[m] = metric
                    }
                }
            }
        }
    }

    mutating func applyResourceActions(_ actions: AttributeActions, context: [AnyValue?]) {
        for r in resourceMetrics.indices {
            if let changed = resourceMetrics[r].resource.applying(actions, context: context) { resourceMetrics[r].resource = changed }
        }
    }
}

extension MetricData {
    /// Applies `actions` to every data point's attributes; returns whether any changed.
    mutating func applyAttributeActions(_ actions: AttributeActions, context: [AnyValue?]) -> Bool {
        func edit<P>(_ points: inout [P], _ attributes: WritableKeyPath<P, Attributes>) -> Bool {
            var changed = false
            for i in points.indices {
                var a = points[i][keyPath: attributes]
                if actions.apply(to: &a, context: context) {
                    points[i][keyPath: attributes] = a
                    changed = true
                }
            }
            return changed
        }
        switch self {
        case .none: return false
        case .gauge(var g):
            guard edit(&g.dataPoints, \.attributes) else { return false }
            self = .gauge(g)
        case .sum(var x):
            guard edit(&x.dataPoints, \.attributes) else { return false }
            self = .sum(x)
        case .histogram(var h):
            guard edit(&h.dataPoints, \.attributes) else { return false }
            self = .histogram(h)
        case .exponentialHistogram(var e):
            guard edit(&e.dataPoints, \.attributes) else { return false }
            self = .exponentialHistogram(e)
        case .summary(var x):
            guard edit(&x.dataPoints, \.attributes) else { return false }
            self = .summary(x)
        }
        return true
    }
}
