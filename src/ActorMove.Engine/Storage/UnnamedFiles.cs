using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ActorMove.Engine.Storage;

/// <summary>
/// Files without a name until they are complete (Linux <c>O_TMPFILE</c>, given their name with <c>linkat</c>): what a
/// received object is spooled into. A process killed while writing one (SIGKILL, the OOM killer) leaves
/// nothing behind, because the kernel frees a file that no name and no descriptor hold; a named temporary file would
/// stay in the output folder for good. Where the file system or the platform cannot do this (NFS, SMB, not Linux),
/// <see cref="TryCreate"/> returns null and the caller uses a named temporary file.
/// </summary>
internal static class UnnamedFiles
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int FollowLink = 0x400; // AT_SYMLINK_FOLLOW: link the file /proc/self/fd/N stands for
    private const int ReadWrite = 0x2; // O_RDWR
    private const int CloseOnExec = 0x80000; // O_CLOEXEC
    private const int AlreadyExists = 17; // EEXIST
    private const int NewFileMode = 0x1B6; // 0666, less the umask, as File.OpenHandle creates files

    private static readonly int? s_tmpFileFlag = OperatingSystem.IsLinux()
        ? RuntimeInformation.ProcessArchitecture switch
        {
            // __O_TMPFILE | O_DIRECTORY; O_DIRECTORY is not the same on every architecture.
            Architecture.X64 or Architecture.X86 => 0x410000,
            Architecture.Arm64 or Architecture.Arm => 0x404000,
            _ => null,
        }
        : null;

    private static readonly ConcurrentDictionary<string, bool> s_supportedIn = new(StringComparer.Ordinal);

    // DllImport: blittable signatures with UTF-8 strings need no generated marshalling (which would need unsafe code).
    // open(2) is variadic; its mode argument is passed as an ordinary int on the Linux ABIs above.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "linkat", SetLastError = true)]
    private static extern int LinkAt(int oldDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDirectory,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, int flags);

    /// <summary>
    /// A new, empty file without a name in <paramref name="directory"/>, open for reading and writing; null where unnamed
    /// files cannot be made or named there (checked once per folder by naming a probe file, which is removed again).
    /// </summary>
    public static SafeFileHandle? TryCreate(string directory)
    {
        if (s_tmpFileFlag is null)
        {
            return null;
        }

        if (s_supportedIn.TryGetValue(directory, out bool supported))
        {
            return supported ? OpenUnnamed(directory) : null;
        }

        supported = Probe(directory);
        s_supportedIn[directory] = supported;
        return supported ? OpenUnnamed(directory) : null;
    }

    /// <summary>A path that opens the unnamed file again while <paramref name="file"/> is open (for a reader of its own).</summary>
    public static string PathOf(SafeFileHandle file) => "/proc/self/fd/" + file.DangerousGetHandle().ToInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Gives the unnamed <paramref name="file"/> the name <paramref name="finalPath"/>, replacing whatever has it, and
    /// tells whether something did. A taken name is replaced through <paramref name="temporaryPath"/> (linked, then
    /// renamed over it), since a link never replaces.
    /// </summary>
    public static bool Publish(SafeFileHandle file, string finalPath, string temporaryPath)
    {
        if (TryLink(file, finalPath, out int error))
        {
            return false;
        }

        if (error != AlreadyExists)
        {
            throw LinkFailed(finalPath, error);
        }

        if (!TryLink(file, temporaryPath, out error))
        {
            throw LinkFailed(temporaryPath, error);
        }

        File.Move(temporaryPath, finalPath, overwrite: true);
        return true;
    }

    private static SafeFileHandle? OpenUnnamed(string directory)
    {
        int descriptor = Open(directory, s_tmpFileFlag!.Value | ReadWrite | CloseOnExec, NewFileMode);
        return descriptor < 0 ? null : new SafeFileHandle((IntPtr)descriptor, ownsHandle: true);
    }

    private static bool Probe(string directory)
    {
        try
        {
            using var file = OpenUnnamed(directory);
            if (file is null)
            {
                return false;
            }

            string probe = Path.Combine(directory, $".actormove-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            if (!TryLink(file, probe, out _))
            {
                return false;
            }

            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool TryLink(SafeFileHandle file, string path, out int error)
    {
        if (LinkAt(CurrentDirectory, PathOf(file), CurrentDirectory, path, FollowLink) == 0)
        {
            error = 0;
            return true;
        }

        error = Marshal.GetLastPInvokeError();
        return false;
    }

    private static IOException LinkFailed(string path, int error) =>
        new($"cannot create {path}: {Marshal.GetPInvokeErrorMessage(error)}", error);
}
