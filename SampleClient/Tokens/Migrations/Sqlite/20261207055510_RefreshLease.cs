using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SampleClient.Tokens.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RefreshLease : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RefreshLeaseUntil",
                table: "Sessions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RefreshLeaseUntil",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "Sessions");
        }
    }
}
