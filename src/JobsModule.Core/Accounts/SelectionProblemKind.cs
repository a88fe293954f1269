namespace JobsModule.Accounts;

internal enum SelectionProblemKind
{
    /// <summary>A provider name the module does not know; <see cref="SelectionProblem.Target"/> is the name.</summary>
    UnknownProvider,

    /// <summary>-PageSize beyond what a provider serves; <see cref="SelectionProblem.Query"/> says which.</summary>
    PageSizeOutOfRange,

    /// <summary>A filter a provider cannot apply; <see cref="SelectionProblem.Query"/> says which.</summary>
    FilterNotSupported,

    /// <summary>A kind a provider does not document; <see cref="SelectionProblem.Query"/> says which.</summary>
    InvalidKind,

    /// <summary>A key, base URL or API version that cannot be used; <see cref="SelectionProblem.Setting"/> says which and where from.</summary>
    Setting,

    /// <summary>A provider without a key.</summary>
    MissingKey,

    /// <summary>No provider has a key at all.</summary>
    NoKeys,

    /// <summary>-Account names no account; <see cref="SelectionProblem.Target"/> is the name.</summary>
    AccountNotFound,
}
