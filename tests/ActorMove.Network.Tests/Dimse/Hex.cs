namespace ActorMove.Network.Tests.Dimse;

internal static class Hex
{
    public static byte[] Parse(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));
}
