import Foundation
import SluiceModel

/// Reads an ONNX model file, failing with a message a user can act on: a missing path, a directory
/// or an unreadable file is named as such, before the bytes are parsed.
public enum ModelFile {
    /// The bytes of the file at `path`.
    public static func bytes(at path: String) throws(ModelLoadError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ModelLoadError(source: path, problems: [ModelProblem("no such file")])
        }
        guard !isDirectory.boolValue else {
            throw ModelLoadError(source: path, problems: [ModelProblem("it is a directory; give the path of the .onnx file in it")])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelLoadError(source: path, problems: [ModelProblem("the file cannot be read (permissions?)")])
        }
        return [UInt8](data)
    }

    /// The model in the ONNX file at `path`.
    /// - Throws: ``ModelLoadError`` naming the file and every problem found.
    public static func load(_ path: String) throws -> SluiceModel.Model {
        try Model(bytes: bytes(at: path), source: path)
    }
}
