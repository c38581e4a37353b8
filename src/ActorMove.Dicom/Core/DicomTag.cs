using System.Globalization;

namespace ActorMove.Dicom.Core;

/// <summary>A data element tag (group, element), ordered as the standard orders elements in a data set.</summary>
public readonly struct DicomTag : IEquatable<DicomTag>, IComparable<DicomTag>
{
    private readonly uint _value;

    public DicomTag(ushort group, ushort element) => _value = ((uint)group << 16) | element;

    public DicomTag(uint value) => _value = value;

    public ushort Group => (ushort)(_value >> 16);
    public ushort Element => (ushort)_value;
    public uint Value => _value;

    /// <summary>Odd groups are private (PS3.5 7.8); groups 1, 3, 5, 7 and FFFF are not allowed to be private.</summary>
    public bool IsPrivate => (Group & 1) == 1;

    /// <summary>(gggg,0010-00FF) in a private group reserves a block for a creator.</summary>
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x0010 and <= 0x00FF;

    public bool IsGroupLength => Element == 0x0000;

    /// <summary>The tag's meaning is carried by its place, not its group: item, item and sequence delimiters.</summary>
    public bool IsDelimitation => Group == 0xFFFE;

    public static readonly DicomTag Item = new(0xFFFE, 0xE000);
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);
    public static readonly DicomTag DataSetTrailingPadding = new(0xFFFC, 0xFFFC);

    public bool Equals(DicomTag other) => _value == other._value;
    public override bool Equals(object? obj) => obj is DicomTag other && Equals(other);
    public override int GetHashCode() => (int)_value;
    public int CompareTo(DicomTag other) => _value.CompareTo(other._value);

    public static bool operator ==(DicomTag left, DicomTag right) => left._value == right._value;
    public static bool operator !=(DicomTag left, DicomTag right) => left._value != right._value;
    public static bool operator <(DicomTag left, DicomTag right) => left._value < right._value;
    public static bool operator >(DicomTag left, DicomTag right) => left._value > right._value;
    public static bool operator <=(DicomTag left, DicomTag right) => left._value <= right._value;
    public static bool operator >=(DicomTag left, DicomTag right) => left._value >= right._value;

    public override string ToString() => $"({Group:X4},{Element:X4})";

    /// <summary>Parses "gggg,eeee" or "(gggg,eeee)" (hexadecimal), as DCMTK's tools accept it.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DicomTag tag)
    {
        tag = default;
        text = text.Trim();
        if (text.Length > 2 && text[0] == '(' && text[^1] == ')')
        {
            text = text[1..^1];
        }

        int comma = text.IndexOf(',');
        if (comma < 0)
        {
            return false;
        }

        if (!ushort.TryParse(text[..comma].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort group)
            || !ushort.TryParse(text[(comma + 1)..].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort element))
        {
            return false;
        }

        tag = new DicomTag(group, element);
        return true;
    }
}
