namespace SessionInterop.Config;

/// <summary>An avatar: where to download it and the 32-byte key it is encrypted with (§6.0).</summary>
internal sealed record ProfilePicture(string Url, byte[] Key)
{
    /// <summary>Longest avatar URL, in bytes.</summary>
    public const int MaxUrlBytes = 223;

    /// <summary>A picture counts only with a URL and a 32-byte key.</summary>
    internal bool IsSet => Url.Length > 0 && Key.Length == 32;
}
