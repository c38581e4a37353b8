namespace ActorMove.Network.Negotiation;

/// <summary>The transfer syntax UIDs (PS3.6 Annex A) that the negotiation tables name.</summary>
public static class TransferSyntaxUids
{
    public const string ImplicitVRLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";
    public const string DeflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99";
    public const string ExplicitVRBigEndian = "1.2.840.10008.1.2.2";
    public const string JpegBaseline = "1.2.840.10008.1.2.4.50";
    public const string JpegExtended = "1.2.840.10008.1.2.4.51";
    public const string JpegLosslessSv1 = "1.2.840.10008.1.2.4.70";
    public const string JpegLsLossless = "1.2.840.10008.1.2.4.80";
    public const string JpegLsLossy = "1.2.840.10008.1.2.4.81";
    public const string Jpeg2000Lossless = "1.2.840.10008.1.2.4.90";
    public const string Jpeg2000 = "1.2.840.10008.1.2.4.91";
    public const string Mpeg2MainLevel = "1.2.840.10008.1.2.4.100";
    public const string Mpeg2HighLevel = "1.2.840.10008.1.2.4.101";
    public const string Mpeg4HighProfileLevel41 = "1.2.840.10008.1.2.4.102";
    public const string Mpeg4BdCompatible = "1.2.840.10008.1.2.4.103";
    public const string Mpeg4HighProfileLevel42For2D = "1.2.840.10008.1.2.4.104";
    public const string Mpeg4HighProfileLevel42For3D = "1.2.840.10008.1.2.4.105";
    public const string Mpeg4StereoHighProfileLevel42 = "1.2.840.10008.1.2.4.106";
    public const string HevcMainProfileLevel51 = "1.2.840.10008.1.2.4.107";
    public const string HevcMain10ProfileLevel51 = "1.2.840.10008.1.2.4.108";
    public const string RleLossless = "1.2.840.10008.1.2.5";
}
