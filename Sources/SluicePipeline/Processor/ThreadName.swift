import Foundation

/// Names the calling thread as `top -H`, `perf` and `/proc/<pid>/task/*/comm` show it; Linux keeps
/// the first 15 bytes. Foundation's `Thread.name` does not reach Linux's thread name.
public func nameCurrentThread(_ name: String) {
    guard let comm = fopen("/proc/thread-self/comm", "w") else { return }
    fputs(name, comm)
    fclose(comm)
}
