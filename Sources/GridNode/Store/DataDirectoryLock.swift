#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock on a data directory, so two node processes (or two embedded
/// hosts) never run one identity from one set of files at once.
final class DataDirectoryLock: Sendable {
    private let descriptor: Int32

    init(directory: String) throws(StoreError) {
        let path = directory + "/LOCK"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io("cannot open \(path): errno \(errno)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw .locked(path: directory)
        }
        self.descriptor = descriptor
    }

    /// Closing the descriptor releases the lock; the kernel also releases it if the process dies.
    func release() {
        close(descriptor)
    }
}
