/// ONNX backend node tests that are not run although Sluice supports their operators, each with
/// the reason. Tests whose inputs or outputs have a type Sluice has no ``ElementType`` for
/// (float16, bfloat16, int8, uint8, int16, uint16, uint32, uint64, float8, int4, complex) or that
/// are sequences, maps or optionals are skipped by rule, since Sluice cannot even represent their data;
/// everything listed here is a deliberate choice about one test. See ONNXNodeTests.md.
enum ONNXNodeTestExclusions {
    private static let trainingMode = "training mode: Sluice runs inference only and rejects training_mode=1 at load"
    private static let batchNormStatistics =
        "scale, bias, mean and variance are graph inputs here; Sluice's BatchNormalization folds them at load and needs them constant, as every exported model has them"
    private static let integerPow = "Pow on integer tensors: Sluice's Pow supports float and double (tabular models raise floats)"
    private static let boolReduce = "ReduceMax/ReduceMin of bool tensors: Sluice's reductions support float"

    static let reasons: [String: String] = [
        "test_batchnorm_epsilon": batchNormStatistics,
        "test_batchnorm_example": batchNormStatistics,
        "test_batchnorm_epsilon_training_mode": trainingMode,
        "test_batchnorm_example_training_mode": trainingMode,
        "test_training_dropout": trainingMode,
        "test_training_dropout_default": trainingMode,
        "test_training_dropout_default_mask": trainingMode,
        "test_training_dropout_mask": trainingMode,
        "test_training_dropout_zero_ratio": trainingMode,
        "test_training_dropout_zero_ratio_mask": trainingMode,
        "test_pow_types_int32_float32": integerPow,
        "test_pow_types_int32_int32": integerPow,
        "test_pow_types_int64_float32": integerPow,
        "test_pow_types_int64_int64": integerPow,
        "test_reduce_max_bool_inputs": boolReduce,
        "test_reduce_max_empty_set_bool": boolReduce,
        "test_reduce_min_bool_inputs": boolReduce,
    ]
}
