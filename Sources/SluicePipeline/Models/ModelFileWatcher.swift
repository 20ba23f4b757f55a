import Foundation

/// Watches the model file and asks for a reload when it changes (`model.watch_interval_ms`).
///
/// It polls the file's inode, size and modification time rather than subscribing to the file
/// system's events: replacing a file atomically (writing a new one beside it and renaming it over
/// the old, as deployment tools do) makes a new inode, which an event subscription on the old one
/// never reports. A file written in place may be seen half-written: it is then refused as
/// unloadable, and the next change of the finished file is reloaded.
public enum ModelFileWatcher {
    /// What tells one version of the file from the next; `nil` while there is no file.
    struct Signature: Equatable {
        var inode: UInt64
        var size: UInt64
        var modified: Date

        init?(path: String) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value,
                  let size = (attributes[.size] as? NSNumber)?.uint64Value,
                  let modified = attributes[.modificationDate] as? Date else { return nil }
            self.inode = inode
            self.size = size
            self.modified = modified
        }
    }

    /// Starts watching `reloader`'s `model.path` every `interval`; cancel the task to stop. The
    /// file as it is when this returns is the one already loaded: any later change is reloaded.
    public static func start(_ reloader: ModelReloader, every interval: Duration) -> Task<Void, Never> {
        let path = reloader.configuration.model.path
        let loaded = Signature(path: path)
        return Task {
            var seen = loaded
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                let now = Signature(path: path)
                guard now != seen, now != nil else { continue }
                seen = now
                _ = await reloader.reload(.fileChanged)
            }
        }
    }
}
