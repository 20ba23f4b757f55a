import SluiceKernels
import SluiceModel
import Testing

/// Nodes Sluice cannot run faithfully fail to compile, at load time, with a reason naming the problem.
@Suite("ai.onnx.ml operators reject what they do not support")
struct MachineLearningRejectionTests {
    /// A one-tree regressor: a branch on feature 0 and two leaves.
    static let regressor: [String: AttributeValue] = [
        "n_targets": .int(1),
        "nodes_treeids": .ints([0, 0, 0]), "nodes_nodeids": .ints([0, 1, 2]), "nodes_featureids": .ints([0, 0, 0]),
        "nodes_modes": .strings(["BRANCH_LEQ", "LEAF", "LEAF"]), "nodes_values": .floats([0.5, 0, 0]),
        "nodes_truenodeids": .ints([1, 0, 0]), "nodes_falsenodeids": .ints([2, 0, 0]),
        "target_treeids": .ints([0, 0]), "target_nodeids": .ints([1, 2]), "target_ids": .ints([0, 0]),
        "target_weights": .floats([1, 2]),
    ]

    static func compile(
        _ opType: String, _ attributes: [String: AttributeValue], input: ElementType = .float, features: Int = 3, opset: Int = 1
    ) throws -> CompiledNode {
        let node = OperatorNode(name: "n", opType: opType, domain: "ai.onnx.ml", inputs: ["X"], outputs: ["Y", "Z"], attributes: attributes)
        let definition = try #require(OperatorRegistry.standard.definition(domain: "ai.onnx.ml", opType: opType, opset: opset))
        let info = ValueInfo(elementType: input, shape: [.dynamic("N"), .fixed(features)])
        return try definition.compile(OperatorContext(node: node, inputs: [info], opset: opset))
    }

    static func expectRejection(
        _ opType: String, _ attributes: [String: AttributeValue], input: ElementType = .float, features: Int = 3,
        opset: Int = 1, mentioning words: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            _ = try compile(opType, attributes, input: input, features: features, opset: opset)
            Issue.record("compiled, but should have been rejected for \(words)", sourceLocation: sourceLocation)
        } catch let error as OperatorError {
            #expect(error.reason.contains(words), "\(error.reason)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func theValidRegressorCompiles() throws {
        _ = try Self.compile("TreeEnsembleRegressor", Self.regressor)
    }

    @Test func unknownNodeMode() {
        var attributes = Self.regressor
        attributes["nodes_modes"] = .strings(["BRANCH_SOMETIMES", "LEAF", "LEAF"])
        Self.expectRejection("TreeEnsembleRegressor", attributes, mentioning: "BRANCH_SOMETIMES")
    }

    @Test func inconsistentAttributeLengths() {
        var attributes = Self.regressor
        attributes["nodes_values"] = .floats([0.5, 0])
        Self.expectRejection("TreeEnsembleRegressor", attributes, mentioning: "nodes_values")
    }

    @Test func unsupportedInputType() {
        Self.expectRejection("TreeEnsembleRegressor", Self.regressor, input: .string, mentioning: "string")
    }

    @Test func unknownAggregateAndPostTransform() {
        var attributes = Self.regressor
        attributes["aggregate_function"] = .string("MEDIAN")
        Self.expectRejection("TreeEnsembleRegressor", attributes, mentioning: "MEDIAN")
        attributes = Self.regressor
        attributes["post_transform"] = .string("TANH")
        Self.expectRejection("TreeEnsembleRegressor", attributes, mentioning: "TANH")
    }

    @Test func danglingChildAndLeafWithoutWeight() {
        var attributes = Self.regressor
        attributes["nodes_falsenodeids"] = .ints([7, 0, 0])
        Self.expectRejection("TreeEnsembleRegressor", attributes, mentioning: "false child 7")
        attributes = Self.regressor
        attributes["target_nodeids"] = .ints([1, 1])
        Self.expectRejection("TreeEnsembleRegressor", attributes, mentioning: "no weight")
    }

    @Test func featureBeyondTheInput() {
        var attributes = Self.regressor
        attributes["nodes_featureids"] = .ints([5, 0, 0])
        Self.expectRejection("TreeEnsembleRegressor", attributes, features: 3, mentioning: "feature 5")
    }

    @Test func doubleTensorThresholdsForFloatInput() {
        var attributes = Self.regressor
        attributes["nodes_values"] = nil
        attributes["nodes_values_as_tensor"] = .tensor(Tensor(shape: [3], doubles: [0.5, 0, 0]))
        Self.expectRejection("TreeEnsembleRegressor", attributes, opset: 3, mentioning: "must match")
    }

    @Test func classifierWithoutLabelsOrWithWrongBaseValues() {
        let classifier: [String: AttributeValue] = [
            "nodes_treeids": .ints([0]), "nodes_nodeids": .ints([0]), "nodes_featureids": .ints([0]),
            "nodes_modes": .strings(["LEAF"]), "nodes_values": .floats([0]),
            "nodes_truenodeids": .ints([0]), "nodes_falsenodeids": .ints([0]),
            "class_treeids": .ints([0]), "class_nodeids": .ints([0]), "class_ids": .ints([0]), "class_weights": .floats([1]),
        ]
        Self.expectRejection("TreeEnsembleClassifier", classifier, mentioning: "classlabels")
        var attributes = classifier
        attributes["classlabels_int64s"] = .ints([1, 2, 3])
        attributes["base_values"] = .floats([0, 1])
        Self.expectRejection("TreeEnsembleClassifier", attributes, mentioning: "base_values")
    }

    @Test func version5MemberNodeWithoutSets() {
        let attributes: [String: AttributeValue] = [
            "nodes_featureids": .ints([0]), "nodes_splits": .tensor(Tensor(shape: [1], floats: [0])),
            "nodes_modes": .tensor(Tensor(shape: [1], int64s: [6])),
            "nodes_truenodeids": .ints([0]), "nodes_falsenodeids": .ints([1]),
            "nodes_trueleafs": .ints([1]), "nodes_falseleafs": .ints([1]), "tree_roots": .ints([0]),
            "leaf_targetids": .ints([0, 0]), "leaf_weights": .tensor(Tensor(shape: [2], floats: [1, 2])),
        ]
        Self.expectRejection("TreeEnsemble", attributes, opset: 5, mentioning: "membership_values")
        var unknownMode = attributes
        unknownMode["nodes_modes"] = .tensor(Tensor(shape: [1], int64s: [9]))
        Self.expectRejection("TreeEnsemble", unknownMode, opset: 5, mentioning: "nodes_modes[0] is 9")
    }

    @Test func linearModelsWithMismatchedShapes() {
        Self.expectRejection(
            "LinearClassifier",
            ["coefficients": .floats([1, 2, 3, 4]), "intercepts": .floats([0, 0]), "classlabels_ints": .ints([0, 1])],
            features: 3, mentioning: "features"
        )
        Self.expectRejection(
            "LinearClassifier",
            ["coefficients": .floats([1, 2, 3]), "intercepts": .floats([0]), "classlabels_ints": .ints([0, 1, 2])],
            mentioning: "class labels"
        )
    }

    @Test func unknownNormAndMismatchedScaler() {
        Self.expectRejection("Normalizer", ["norm": .string("L3")], mentioning: "L3")
        Self.expectRejection("Scaler", ["offset": .floats([0, 1]), "scale": .floats([1])], features: 3, mentioning: "offset")
    }

    @Test func labelEncoderWithTwoKeyListsOrAMismatchedInput() {
        Self.expectRejection(
            "LabelEncoder",
            ["keys_strings": .strings(["a"]), "keys_int64s": .ints([1]), "values_int64s": .ints([1])],
            input: .string, opset: 2, mentioning: "keys_*"
        )
        Self.expectRejection(
            "LabelEncoder", ["keys_strings": .strings(["a"]), "values_int64s": .ints([1])],
            input: .int64, opset: 2, mentioning: "keys are string"
        )
    }
}
