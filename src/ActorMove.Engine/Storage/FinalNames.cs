using System.Runtime.InteropServices;

namespace ActorMove.Engine.Storage;

/// <summary>
/// Gives a finished temporary file its final name, replacing whatever has it, and tells whether something did (movescu
/// warns "DICOM file already exists, overwriting"). On Linux one <c>renameat2(RENAME_NOREPLACE)</c> both moves the file
/// and finds out, so the common case costs no extra system call on every object's way to its response; only when the
/// name is taken does a second rename replace it.
/// </summary>
internal static class FinalNames
{
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const uint NoReplace = 1; // RENAME_NOREPLACE
    private const int AlreadyExists = 17; // EEXIST
    private const int InvalidArgument = 22; // EINVAL: the flag is unknown to the file system
    private const int NoSuchSystemCall = 38; // ENOSYS

    private static bool s_noReplaceWorks = OperatingSystem.IsLinux();

    // DllImport: a blittable signature with UTF-8 strings needs no generated marshalling (which would need unsafe code).
    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDirectory,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);

    /// <summary>Renames <paramref name="temporaryPath"/> to <paramref name="finalPath"/>; true when a file had that name before.</summary>
    public static bool Publish(string temporaryPath, string finalPath)
    {
        if (Volatile.Read(ref s_noReplaceWorks))
        {
            try
            {
                if (RenameAt2(CurrentDirectory, temporaryPath, CurrentDirectory, finalPath, NoReplace) == 0)
                {
                    return false;
                }

                int error = Marshal.GetLastPInvokeError();
                if (error == AlreadyExists)
                {
                    File.Move(temporaryPath, finalPath, overwrite: true);
                    return true;
                }

                if (error is InvalidArgument or NoSuchSystemCall)
                {
                    // The file system or the kernel does not know the flag: the portable way from now on.
                    Volatile.Write(ref s_noReplaceWorks, false);
                }

                // Any other error (a missing file or folder, no space) comes back, in .NET's words, from the rename below.
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                Volatile.Write(ref s_noReplaceWorks, false);
            }
        }

        bool existed = File.Exists(finalPath);
        File.Move(temporaryPath, finalPath, overwrite: true);
        return existed;
    }
}
