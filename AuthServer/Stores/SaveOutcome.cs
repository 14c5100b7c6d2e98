namespace AuthServer.Stores;

/// <summary>What the save of a refresh found.</summary>
internal enum SaveOutcome
{
    /// <summary>Everything was written: the presented token is redeemed, the new entries stored.</summary>
    Saved,

    /// <summary>
    /// Another presentation of the same token redeemed it first, within the reuse leeway: its
    /// successor (the one this request answers with too) is stored, and so are this request's
    /// other entries.
    /// </summary>
    SavedAfterConcurrentRedemption,

    /// <summary>The token was redeemed after the leeway, or its successor was used already: a replay.</summary>
    Replayed,

    /// <summary>The token or its login was revoked (or expired) meanwhile. Nothing was written.</summary>
    NoLongerValid,
}
