using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ActorMove.Dicom.Core;
using ActorMove.Dicom.IO.Writing;
using ActorMove.Testing.Dcmtk;
using Xunit;

namespace ActorMove.Dicom.Tests.Writing;

/// <summary>Helpers to hold our output against DCMTK's: file parts, option mapping, and dcmdump checks.</summary>
internal static class DcmtkCompare
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The meta elements of a file (group 0002, explicit VR little endian), by element number.</summary>
    public static Dictionary<ushort, byte[]> Meta(byte[] file)
    {
        Assert.True(file.Length >= 132 && Encoding.ASCII.GetString(file, 128, 4) == "DICM", "no DICM prefix");
        var meta = new Dictionary<ushort, byte[]>();
        int position = 132;
        while (position + 8 <= file.Length && BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(position)) == 0x0002)
        {
            ushort element = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(position + 2));
            var vr = DicomVR.FromCode(BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(position + 4)));
            int length;
            int header;
            if (vr.HasLongExplicitHeader)
            {
                length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(position + 8));
                header = 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(position + 6));
                header = 8;
            }

            meta[element] = file.AsSpan(position + header, length).ToArray();
            position += header + length;
        }

        return meta;
    }

    public static string MetaString(Dictionary<ushort, byte[]> meta, ushort element) =>
        Encoding.ASCII.GetString(meta[element]).TrimEnd('\0', ' ');

    /// <summary>The bytes after the meta information, found by its group length; the whole file when it has no meta.</summary>
    public static byte[] Body(byte[] file)
    {
        if (file.Length < 132 || Encoding.ASCII.GetString(file, 128, 4) != "DICM")
        {
            return file;
        }

        Assert.Equal(0x00000002u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(132)));
        int groupLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(140));
        return file[(144 + groupLength)..];
    }

    public static byte[] Inflate(byte[] deflated)
    {
        using var input = new DeflateStream(new MemoryStream(deflated), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>
    /// Our options for a dcmconv command line; dcmconv's own defaults apply where movescu's differ
    /// (it retains padding, `-p=`, where movescu removes it).
    /// </summary>
    public static DicomWriteOptions FromDcmconvArguments(string arguments)
    {
        var options = new DicomWriteOptions { Padding = PaddingMode.Retain };
        string[] args = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "+te" => options with { TargetSyntax = TransferSyntax.ExplicitVRLittleEndian },
                "+tb" => options with { TargetSyntax = TransferSyntax.ExplicitVRBigEndian },
                "+ti" => options with { TargetSyntax = TransferSyntax.ImplicitVRLittleEndian },
                "+td" => options with { TargetSyntax = TransferSyntax.DeflatedExplicitVRLittleEndian },
                "+t=" => options with { TargetSyntax = null },
                "+u" => options with { EnableNewVRs = true },
                "-u" => options with { EnableNewVRs = false },
                "+g=" => options with { GroupLength = GroupLengthMode.Recalculate },
                "+g" => options with { GroupLength = GroupLengthMode.Create },
                "-g" => options with { GroupLength = GroupLengthMode.Remove },
                "+e" => options with { SequenceLength = SequenceLengthMode.Explicit },
                "-e" => options with { SequenceLength = SequenceLengthMode.Undefined },
                "-p=" => options with { Padding = PaddingMode.Retain },
                "-p" => options with { Padding = PaddingMode.Remove },
                "+p" => options with
                {
                    Padding = PaddingMode.Create, FilePadding = int.Parse(args[++i]), ItemPadding = int.Parse(args[++i]),
                },
                "+cl" => options with { DeflateLevel = int.Parse(args[++i]) },
                "+F" => options with { WriteFileFormat = true },
                "-F" => options with { WriteFileFormat = false },
                _ => throw new ArgumentException($"unmapped option {args[i]}"),
            };
        }

        return options;
    }

    public static void Dcmconv(string arguments, string input, string output)
    {
        var result = DcmtkTool.Run("dcmconv",
            [.. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries), input, output], Timeout);
        Assert.True(result.ExitCode == 0, $"dcmconv {arguments} failed: {result}");
    }

    /// <summary>dcmdump reads the file to its end without a warning or an error.</summary>
    public static string AssertDcmdumpClean(string path)
    {
        var result = DcmtkTool.Run("dcmdump", [path], Timeout);
        Assert.True(result.ExitCode == 0, $"dcmdump failed on {path}: {result}");
        Assert.True(result.StdErr.Trim().Length == 0, $"dcmdump complained about {path}: {result.StdErr}");
        var complaints = result.StdOut.Split('\n').Where(l => l.StartsWith("W:", StringComparison.Ordinal) || l.StartsWith("E:", StringComparison.Ordinal)).ToList();
        Assert.True(complaints.Count == 0, string.Join('\n', complaints));
        return result.StdOut;
    }
}
