import Foundation

/// Where `sluice demo` finds its files (`config/demo.yaml`, the model it names, `Topics/`) from
/// any working directory: the working directory when it holds them (a checkout), else
/// `share/sluice` beside the executable's `bin/` (`make install`), else the checkout the
/// executable was built in (`.build/…/sluice`).
enum DemoFiles {
    static let configuration = "config/demo.yaml"

    /// The first directory holding ``configuration``; `nil` when none does.
    static func root() -> String? {
        let fileManager = FileManager.default
        var candidates = [fileManager.currentDirectoryPath]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let bin = executable.deletingLastPathComponent()
            candidates.append(bin.deletingLastPathComponent().appendingPathComponent("share/sluice").path)
            var ancestor = bin
            for _ in 0..<4 {
                ancestor = ancestor.deletingLastPathComponent()
                candidates.append(ancestor.path)
            }
        }
        return candidates.first { fileManager.fileExists(atPath: "\($0)/\(configuration)") }
    }
}
