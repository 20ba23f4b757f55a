import SluiceKernels

extension OperatorNode {
    /// Converts node `index` of the graph; attributes that cannot be read are reported in `problems`.
    init(onnx proto: Onnx_NodeProto, index: Int, problems: inout [String]) {
        var attributes: [String: AttributeValue] = [:]
        for attribute in proto.attribute {
            do {
                attributes[attribute.name] = try AttributeValue(onnx: attribute)
            } catch let failure as DecodingFailure {
                problems.append("attribute '\(attribute.name)': \(failure.reason)")
            } catch {
                problems.append("attribute '\(attribute.name)': \(error)")
            }
        }
        self.init(
            name: proto.name.isEmpty ? "\(proto.opType)#\(index)" : proto.name,
            opType: proto.opType,
            domain: ParsedModel.normalized(domain: proto.domain),
            inputs: proto.input,
            outputs: proto.output,
            attributes: attributes
        )
    }
}
