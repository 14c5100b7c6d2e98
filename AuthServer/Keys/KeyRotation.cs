namespace AuthServer.Keys;

/// <summary>What one run of the rotation job changed, as <c>use:id</c> of each key.</summary>
public sealed class KeyRotation
{
    public List<string> Announced { get; } = [];

    public List<string> Retired { get; } = [];

    public List<string> Deleted { get; } = [];

    public bool Changed => Announced.Count + Retired.Count + Deleted.Count > 0;

    public override string ToString()
        => $"announced [{string.Join(", ", Announced)}], retired [{string.Join(", ", Retired)}], deleted [{string.Join(", ", Deleted)}]";
}
