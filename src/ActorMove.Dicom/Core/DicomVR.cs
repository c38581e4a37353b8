namespace ActorMove.Dicom.Core;

/// <summary>
/// A value representation (PS3.5 6.2), kept as its two ASCII characters so it costs nothing to copy,
/// compare or read straight off the wire.
/// </summary>
public readonly struct DicomVR : IEquatable<DicomVR>
{
    private DicomVR(ushort code) => Code = code;

    /// <summary>The two characters as they stand in an explicit VR header: first character in the high byte.</summary>
    public ushort Code { get; }

    public static DicomVR FromCode(ushort code) => new(code);

    private static DicomVR Of(string s) => new((ushort)((s[0] << 8) | s[1]));

    public static readonly DicomVR None = default;
    public static readonly DicomVR AE = Of("AE");
    public static readonly DicomVR AS = Of("AS");
    public static readonly DicomVR AT = Of("AT");
    public static readonly DicomVR CS = Of("CS");
    public static readonly DicomVR DA = Of("DA");
    public static readonly DicomVR DS = Of("DS");
    public static readonly DicomVR DT = Of("DT");
    public static readonly DicomVR FD = Of("FD");
    public static readonly DicomVR FL = Of("FL");
    public static readonly DicomVR IS = Of("IS");
    public static readonly DicomVR LO = Of("LO");
    public static readonly DicomVR LT = Of("LT");
    public static readonly DicomVR OB = Of("OB");
    public static readonly DicomVR OD = Of("OD");
    public static readonly DicomVR OF = Of("OF");
    public static readonly DicomVR OL = Of("OL");
    public static readonly DicomVR OV = Of("OV");
    public static readonly DicomVR OW = Of("OW");
    public static readonly DicomVR PN = Of("PN");
    public static readonly DicomVR SH = Of("SH");
    public static readonly DicomVR SL = Of("SL");
    public static readonly DicomVR SQ = Of("SQ");
    public static readonly DicomVR SS = Of("SS");
    public static readonly DicomVR ST = Of("ST");
    public static readonly DicomVR SV = Of("SV");
    public static readonly DicomVR TM = Of("TM");
    public static readonly DicomVR UC = Of("UC");
    public static readonly DicomVR UI = Of("UI");
    public static readonly DicomVR UL = Of("UL");
    public static readonly DicomVR UN = Of("UN");
    public static readonly DicomVR UR = Of("UR");
    public static readonly DicomVR US = Of("US");
    public static readonly DicomVR UT = Of("UT");
    public static readonly DicomVR UV = Of("UV");

    /// <summary>Every VR of the current standard.</summary>
    public static IReadOnlyList<DicomVR> All { get; } =
    [
        AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI,
        UL, UN, UR, US, UT, UV,
    ];

    public bool IsKnown => Code != 0 && All.Contains(this);

    /// <summary>Explicit VR encoding gives these a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2).</summary>
    public bool HasLongExplicitHeader => this == OB || this == OD || this == OF || this == OL || this == OV || this == OW
                                         || this == SQ || this == SV || this == UC || this == UN || this == UR
                                         || this == UT || this == UV;

    /// <summary>The size of one binary number in the value, which is what a byte order change swaps; 1 for bytes and text.</summary>
    public int SwapUnitSize
    {
        get
        {
            if (this == OW || this == US || this == SS || this == AT)
            {
                return 2;
            }

            if (this == OL || this == UL || this == SL || this == FL || this == OF)
            {
                return 4;
            }

            if (this == OD || this == FD || this == SV || this == UV || this == OV)
            {
                return 8;
            }

            return 1;
        }
    }

    /// <summary>Character strings, padded with a space to even length; UI is the exception, padded with NUL.</summary>
    public bool IsString => this == AE || this == AS || this == CS || this == DA || this == DS || this == DT
                            || this == IS || this == LO || this == LT || this == PN || this == SH || this == ST
                            || this == TM || this == UC || this == UI || this == UR || this == UT;

    public byte PaddingByte => IsString && this != UI ? (byte)' ' : (byte)0;

    /// <summary>
    /// The VRs that `-u` (disable new VRs) writes as OB in explicit VR output: DCMTK 3.6.7 converts UN, UT, UC, UR,
    /// OD, OF, OL, OV, SV and UV (measured with dcmconv -u).
    /// </summary>
    public bool IsPost1993 => this == UN || this == UT || this == UC || this == UR || this == OD || this == OF
                              || this == OL || this == OV || this == SV || this == UV;

    public char First => (char)(Code >> 8);
    public char Second => (char)(Code & 0xFF);

    public bool Equals(DicomVR other) => Code == other.Code;
    public override bool Equals(object? obj) => obj is DicomVR other && Equals(other);
    public override int GetHashCode() => Code;
    public static bool operator ==(DicomVR left, DicomVR right) => left.Code == right.Code;
    public static bool operator !=(DicomVR left, DicomVR right) => left.Code != right.Code;

    public override string ToString() => Code == 0 ? "??" : new string([First, Second]);

    public static bool TryParse(ReadOnlySpan<char> text, out DicomVR vr)
    {
        vr = default;
        if (text.Length != 2)
        {
            return false;
        }

        var candidate = new DicomVR((ushort)((char.ToUpperInvariant(text[0]) << 8) | char.ToUpperInvariant(text[1])));
        if (!candidate.IsKnown)
        {
            return false;
        }

        vr = candidate;
        return true;
    }
}
