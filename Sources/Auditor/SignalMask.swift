#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A process started from a thread that blocks signals (Foundation's `Process` on a dispatch
/// thread, some CI runners) inherits that mask, and would never see SIGTERM or SIGINT.
/// "Serves until SIGINT/SIGTERM" must hold however we were started, so unblock them first.
enum SignalMask {
    static func unblockTermination() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
