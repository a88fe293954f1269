using System.Runtime.InteropServices;
using System.Security;

namespace JobsModule.Accounts;

internal static class SecureKey
{
    /// <summary>The plain key, only to build an auth header; it is never written anywhere.</summary>
    public static string Reveal(SecureString secure)
    {
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);

            // Null only for a zero pointer, and SecureStringToGlobalAllocUnicode returns a real one or throws.
            return Marshal.PtrToStringUni(pointer)!;
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }

    public static SecureString FromPlain(string plain)
    {
        var secure = new SecureString();
        foreach (var character in plain)
        {
            secure.AppendChar(character);
        }

        secure.MakeReadOnly();
        return secure;
    }
}
