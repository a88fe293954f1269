using System;
using System.Runtime.InteropServices;
using System.Security;

namespace JobsModule;

internal static class SecureText
{
    /// <summary>The plain key, only for the auth header; it is never written anywhere.</summary>
    public static string Reveal(SecureString secure)
    {
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
            return Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }
}
