namespace SampleClient.Notes;

/// <summary>ResourceApi refused the access token (401): the session cannot go on.</summary>
public sealed class ApiUnauthorizedException() : Exception("ResourceApi refused the access token.");
