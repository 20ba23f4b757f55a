import Foundation

/// CPU time the calling thread has used so far, in seconds (`CLOCK_THREAD_CPUTIME_ID`): what one
/// loop costs, apart from the other threads of the process.
public func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
