using Microsoft.EntityFrameworkCore;

namespace SampleClient.Tokens;

/// <summary><see cref="SampleClientDbContext"/> on PostgreSQL: the same model, its own migrations.</summary>
public sealed class PostgreSqlSampleClientDbContext(DbContextOptions<PostgreSqlSampleClientDbContext> options) : SampleClientDbContext(options);
