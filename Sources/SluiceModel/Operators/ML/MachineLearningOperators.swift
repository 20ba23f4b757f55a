/// The `ai.onnx.ml` operators: tree ensembles, linear models, preprocessing.
let machineLearningOperators: [OperatorDefinition] = [
    treeEnsembleClassifierOperator,
    treeEnsembleRegressorOperator,
    treeEnsembleOperator,
    linearClassifierOperator,
    linearRegressorOperator,
    normalizerOperator,
    scalerOperator,
    imputerOperator,
    oneHotEncoderOperator,
    arrayFeatureExtractorOperator,
    binarizerOperator,
    featureVectorizerOperator,
    zipMapOperator,
] + labelEncoderOperators
