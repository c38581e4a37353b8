using System.Runtime.InteropServices;

namespace ActorMove.Engine.Dispatch;

/// <summary>
/// Puts one thread to sleep until another wakes it; a wake that comes first is kept, so the next <see cref="Park"/>
/// returns at once. Unlike <see cref="Monitor.Pulse"/> (or any mutex and condition variable), waking takes no lock the
/// sleeper needs: with a lock, the woken thread often ran on the waker's core before the waker had let go of it, blocked
/// on it, and cost two more context switches (about half of the file writer's wake-ups in bench/compare.sh store).
/// </summary>
internal abstract class ThreadParking : IDisposable
{
    /// <summary>
    /// An eventfd on Linux; a monitor elsewhere, or when the process has no file descriptor left for one (a thread that
    /// cannot park would take the dispatcher's capacity with it).
    /// </summary>
    public static ThreadParking Create() =>
        OperatingSystem.IsLinux() && EventFdParking.TryOpen() is { } eventFd ? eventFd : CreateMonitor();

    /// <summary>The fallback, on its own (tests run both kinds).</summary>
    internal static ThreadParking CreateMonitor() => new MonitorParking();

    /// <summary>Sleeps until <see cref="Unpark"/> is called, or returns at once if it was called since the last park.</summary>
    public abstract void Park();

    public abstract void Unpark();

    public abstract void Dispose();

    /// <summary>A Linux eventfd: the waker writes to it, the sleeper blocks in a read of it, and the kernel keeps the count between.</summary>
    private sealed class EventFdParking : ThreadParking
    {
        private const int CloseOnExec = 0x80000; // EFD_CLOEXEC (= O_CLOEXEC)
        private const int InterruptedErrno = 4; // EINTR: the runtime signals threads, e.g. to suspend them for a collection
        private const int CounterBytes = sizeof(ulong);

        private readonly int _fd;
        private int _disposed;

        private EventFdParking(int fd) => _fd = fd;

        public static EventFdParking? TryOpen()
        {
            int fd = EventFd(0, CloseOnExec);
            return fd < 0 ? null : new EventFdParking(fd);
        }

        public override void Park()
        {
            ulong count = 0;
            while (Interrupted(Read(_fd, ref count, CounterBytes), "reading"))
            {
            }
        }

        public override void Unpark()
        {
            ulong one = 1;
            while (Interrupted(Write(_fd, ref one, CounterBytes), "writing"))
            {
            }
        }

        /// <summary>True when the call was interrupted and is to be repeated; a failure for any other reason throws.</summary>
        private static bool Interrupted(nint result, string operation)
        {
            if (result >= 0)
            {
                return false;
            }

            int error = Marshal.GetLastPInvokeError();
            if (error != InterruptedErrno)
            {
                throw new IOException($"{operation} the eventfd failed: errno {error}");
            }

            return true;
        }

        public override void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _ = Close(_fd);
            }
        }

        [DllImport("libc", EntryPoint = "eventfd", SetLastError = true)]
        private static extern int EventFd(uint initialValue, int flags);

        [DllImport("libc", EntryPoint = "read", SetLastError = true)]
        private static extern nint Read(int fd, ref ulong value, nint count);

        [DllImport("libc", EntryPoint = "write", SetLastError = true)]
        private static extern nint Write(int fd, ref ulong value, nint count);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        private static extern int Close(int fd);
    }

    /// <summary>Elsewhere: a monitor and a permit.</summary>
    private sealed class MonitorParking : ThreadParking
    {
        private readonly object _gate = new();
        private bool _permit;

        public override void Park()
        {
            lock (_gate)
            {
                while (!_permit)
                {
                    Monitor.Wait(_gate);
                }

                _permit = false;
            }
        }

        public override void Unpark()
        {
            lock (_gate)
            {
                _permit = true;
                Monitor.Pulse(_gate);
            }
        }

        public override void Dispose()
        {
        }
    }
}
