import SluiceModel

/// One libFuzzer input as an ONNX file: loading must return a model or throw ``ModelLoadError``
/// naming at least one problem; a model that loads with a fixed `[N, F]` float input must then
/// score a row of zeros or throw. Anything else (a trap, another error type) is a crash.
func fuzzModelLoader(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let model: Model
    do {
        model = try Model(bytes: bytes, source: "fuzz-input.onnx")
    } catch let error as ModelLoadError {
        precondition(!error.problems.isEmpty, "a ModelLoadError without a problem")
        return 0
    } catch {
        preconditionFailure("Model(bytes:) threw \(type(of: error)), not ModelLoadError: \(error)")
    }
    if let features = model.featureCount, features <= 4096 {
        _ = try? model.makeSession().predict(features: [Float](repeating: 0, count: features), rows: 1)
    }
    return 0
}
