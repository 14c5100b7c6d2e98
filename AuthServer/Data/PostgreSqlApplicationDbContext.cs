using Microsoft.EntityFrameworkCore;

namespace AuthServer.Data;

/// <summary>
/// <see cref="ApplicationDbContext"/> on PostgreSQL: the same model, its own migrations
/// (<c>Data/Migrations/PostgreSql</c>). Registered as <see cref="ApplicationDbContext"/>.
/// </summary>
public sealed class PostgreSqlApplicationDbContext(DbContextOptions<PostgreSqlApplicationDbContext> options)
    : ApplicationDbContext(options);
