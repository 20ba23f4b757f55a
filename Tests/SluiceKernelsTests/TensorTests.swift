import Testing
import SluiceKernels

@Test func writingThroughWithMutableFloatsReshapesAndKeepsTheValues() {
    var tensor = Tensor.empty
    tensor.withMutableFloats(shape: [2, 3]) { values in
        for index in values.indices { values[index] = Float(index) }
    }
    #expect(tensor.shape == [2, 3])
    #expect(tensor.floats == [0, 1, 2, 3, 4, 5])
}

@Test func withMutableFloatsReusesTheStorageOfTheSameSize() {
    var tensor = Tensor(shape: [4], floats: [1, 2, 3, 4])
    let before = tensor.floats!.withUnsafeBufferPointer { $0.baseAddress }
    tensor.withMutableFloats(shape: [2, 2]) { values in values[0] = 9 }
    let after = tensor.floats!.withUnsafeBufferPointer { $0.baseAddress }
    #expect(before == after)
    #expect(tensor.floats == [9, 2, 3, 4])
}

@Test func aTensorOfAnotherTypeBecomesFloatWhenWrittenAsFloat() {
    var tensor = Tensor(shape: [2], int64s: [1, 2])
    tensor.withMutableFloats(shape: [3]) { values in values = [1, 2, 3] }
    #expect(tensor.elementType == .float)
    #expect(tensor.int64s == nil)
}
