/// ONNX backend node tests that are not run although Sluice supports their operators, each with
/// the reason. Tests whose inputs or outputs have a type Sluice has no ``ElementType`` for
/// (float16, bfloat16, int8, uint8, int16, uint16, uint32, uint64, float8, int4, complex) or that
/// are sequences, maps or optionals are skipped by rule, since Sluice cannot even represent their data;
/// everything listed here is a deliberate choice about one test. See ONNXNodeTests.md.
enum ONNXNodeTestExclusions {
    static let reasons: [String: String] = [:]
}
