namespace ActorMove.Testing.Dcmtk;

/// <summary>dcmdump as the judge of what a file holds, independent of ActorMove's own reader.</summary>
public static class Dcmdump
{
    /// <summary>
    /// The data set part of <c>dcmdump +L</c> (values printed in full), without the meta header and the line naming the
    /// transfer syntax, so two files in different syntaxes with the same content compare equal. Throws when dcmdump
    /// fails or warns.
    /// </summary>
    public static string DatasetText(string path)
    {
        var result = DcmtkTool.Run("dcmdump", ["+L", path]);
        if (result.ExitCode != 0 || result.StdErr.Length != 0)
        {
            throw new InvalidOperationException($"dcmdump did not read {path} cleanly: {result}");
        }

        var lines = result.StdOut.Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith("# Dicom-Data-Set", StringComparison.Ordinal));
        // A bare data set has no header block; otherwise skip the heading and its "# Used TransferSyntax" line.
        var body = start < 0 ? lines.Where(l => !l.StartsWith('#')) : lines.Skip(start + 2);
        return string.Join('\n', body).Trim();
    }
}
