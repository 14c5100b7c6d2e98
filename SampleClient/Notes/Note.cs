namespace SampleClient.Notes;

public sealed record Note(int Id, string Body, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
