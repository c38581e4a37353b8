using System.Buffers.Binary;
using System.Text;
using ActorMove.Dicom.Core;

namespace ActorMove.Network.Dimse;

/// <summary>
/// A decoded group 0000 data set: each element's raw value, in the order read. Typed getters check the value size
/// against the VR and raise <see cref="DimseProtocolException"/> rather than guess.
/// </summary>
public sealed class CommandSet
{
    private readonly List<KeyValuePair<uint, ReadOnlyMemory<byte>>> _elements;

    internal CommandSet(List<KeyValuePair<uint, ReadOnlyMemory<byte>>> elements) => _elements = elements;

    /// <summary>The element tags, in the order they stood in the command.</summary>
    public IEnumerable<uint> Tags => _elements.Select(e => e.Key);

    public bool Contains(uint tag) => TryGetRaw(tag, out _);

    public bool TryGetRaw(uint tag, out ReadOnlyMemory<byte> value)
    {
        foreach (var element in _elements)
        {
            if (element.Key == tag)
            {
                value = element.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public ushort? GetUInt16(uint tag)
    {
        if (!TryGetRaw(tag, out var value))
        {
            return null;
        }

        if (value.Length != sizeof(ushort))
        {
            throw Invalid(tag, $"has a value of {value.Length} bytes where US needs 2");
        }

        return BinaryPrimitives.ReadUInt16LittleEndian(value.Span);
    }

    public uint? GetUInt32(uint tag)
    {
        if (!TryGetRaw(tag, out var value))
        {
            return null;
        }

        if (value.Length != sizeof(uint))
        {
            throw Invalid(tag, $"has a value of {value.Length} bytes where UL needs 4");
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(value.Span);
    }

    /// <summary>A string value without its padding: NUL or space at the end, and for AE also leading spaces (PS3.5 6.2).</summary>
    public string? GetString(uint tag)
    {
        if (!TryGetRaw(tag, out var value))
        {
            return null;
        }

        string text = Encoding.ASCII.GetString(value.Span);
        return CommandTags.GetVR(tag) == DicomVR.AE ? text.Trim(' ', '\0') : text.TrimEnd('\0', ' ');
    }

    public IReadOnlyList<DicomTag>? GetTags(uint tag)
    {
        if (!TryGetRaw(tag, out var value))
        {
            return null;
        }

        if (value.Length % 4 != 0)
        {
            throw Invalid(tag, $"has a value of {value.Length} bytes, not a multiple of 4 as AT needs");
        }

        var span = value.Span;
        var tags = new DicomTag[value.Length / 4];
        for (int i = 0; i < tags.Length; i++)
        {
            tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 4)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(span[((i * 4) + 2)..]));
        }

        return tags;
    }

    public ushort GetRequiredUInt16(uint tag, string commandName) =>
        GetUInt16(tag) ?? throw Missing(tag, commandName);

    public string GetRequiredString(uint tag, string commandName) =>
        GetString(tag) ?? throw Missing(tag, commandName);

    private static DimseProtocolException Missing(uint tag, string commandName) =>
        new(DimseProtocolError.InvalidCommand, $"{commandName} lacks the required element {new DicomTag(tag)}");

    private static DimseProtocolException Invalid(uint tag, string what) =>
        new(DimseProtocolError.InvalidCommand, $"Command element {new DicomTag(tag)} {what}");
}
