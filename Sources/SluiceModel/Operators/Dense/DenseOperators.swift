/// The standard-domain (`ai.onnx`) operators: arithmetic, activations, linear algebra, shapes.
let denseOperators: [OperatorDefinition] =
    linearAlgebraOperators + arithmeticOperators + comparisonOperators + activationOperators + softmaxOperators
    + reductionOperators + normalizationOperators + shapeOperators + layoutOperators + constantOperators
