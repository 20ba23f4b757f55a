import SluiceKernels

extension RecordEncoder {
    /// Whether any element of the batch's floating-point outputs is NaN or infinite: one pass
    /// over each output, so that a batch without one (nearly all) costs no per-row search.
    public static func containsNonFinite(_ outputs: [Tensor]) -> Bool {
        outputs.contains { output in
            switch output.storage {
            case .float(let elements): elements.contains { !$0.isFinite }
            case .double(let elements): elements.contains { !$0.isFinite }
            case .int64, .int32, .bool, .string: false
            }
        }
    }

    /// Why row `row` of a batch of `rows` has no prediction: its first output element that is NaN
    /// or infinite, named as the record would name it; `nil` when every element is finite.
    public func nonFiniteOutput(row: Int, rows: Int, outputs: [Tensor]) -> DeadLetterReason? {
        for (index, output) in outputs.enumerated() {
            let perRow = rows == 0 ? 0 : output.count / rows
            let start = row * perRow
            let element: (offset: Int, value: Double)?
            switch output.storage {
            case .float(let elements):
                element = elements[start..<(start + perRow)].enumerated().first { !$0.element.isFinite }.map { ($0.offset, Double($0.element)) }
            case .double(let elements):
                element = elements[start..<(start + perRow)].enumerated().first { !$0.element.isFinite }.map { ($0.offset, $0.element) }
            case .int64, .int32, .bool, .string:
                element = nil
            }
            if let element {
                return .nonFiniteOutput(output: outputNames[index], element: output.rank <= 1 ? nil : element.offset, value: element.value)
            }
        }
        return nil
    }
}
