namespace AuthServer.Admin;

/// <summary>One line of a session's timeline: when, what happened, and who did it.</summary>
public sealed record SessionEvent(DateTimeOffset At, string Kind, string What, string? By);
