namespace JobsModule.Tests;

/// <summary>What an account name may be: anything -Account and -Name can select again as typed.</summary>
public class AccountNameTests
{
    [Theory]
    [InlineData("k*", "holds '*', which -Account and -Name read as a wildcard character")]
    [InlineData("k?", "holds '?', which -Account and -Name read as a wildcard character")]
    [InlineData("k[1]", "holds '[', which -Account and -Name read as a wildcard character")]
    [InlineData("k]", "holds ']', which -Account and -Name read as a wildcard character")]
    [InlineData("k`1", "holds '`', which -Account and -Name read as a wildcard character")]
    [InlineData(" krea", "begins or ends with a space")]
    [InlineData("krea ", "begins or ends with a space")]
    [InlineData("krea\u00a0", "begins or ends with a space")]
    [InlineData("kr\nea", "holds a line break")]
    [InlineData("krea\r\n", "holds a line break")]
    [InlineData("kr\tea", "holds a tab")]
    [InlineData("kr\u0007ea", "holds the control character U+0007")]
    [InlineData("kr\u200bea", "holds the invisible character U+200B")]
    [InlineData("kr\u2028ea", "holds the invisible character U+2028")]
    [InlineData("", "is blank")]
    [InlineData("   ", "is blank")]
    public void A_name_that_could_not_be_selected_again_is_refused_saying_why(string name, string why)
    {
        var problem = AccountNames.Problem(name, "-Name");

        Assert.NotNull(problem);
        Assert.StartsWith("-Name ", problem, StringComparison.Ordinal);
        Assert.Contains(why, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Half_of_a_surrogate_pair_is_refused_and_a_whole_pair_is_taken()
    {
        // Built here: a test case's attributes cannot carry half a pair intact.
        var half = "kr" + '\ud800' + "ea";
        var whole = "kr" + char.ConvertFromUtf32(0x1F680);

        Assert.Contains("holds half of a character (U+D800)", AccountNames.Problem(half, "-Name"), StringComparison.Ordinal);
        Assert.Contains("holds half of a character (U+DE80)", AccountNames.Problem("kr" + whole.Substring(3), "-Name"), StringComparison.Ordinal);
        Assert.Null(AccountNames.Problem(whole, "-Name"));
    }

    [Fact]
    public void The_message_says_where_the_name_came_from()
    {
        Assert.StartsWith("-Credential's user name 'ops*' holds '*'", AccountNames.Problem("ops*", "-Credential's user name"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("krea-staging")]
    [InlineData("night shift")]
    [InlineData("o'brien")]
    [InlineData("say \"hi\"")]
    [InlineData("cost$centre")]
    [InlineData("DOMAIN\\ops")]
    [InlineData("ops@example.com")]
    [InlineData("1e3")]
    [InlineData("-dash")]
    [InlineData("équipe-données")]
    [InlineData("team \ud83d\ude80")]
    [InlineData("\u2018smart\u2019")]
    public void Printable_names_without_wildcards_or_outer_spaces_are_taken(string name)
    {
        Assert.Null(AccountNames.Problem(name, "-Name"));
    }

    [Fact]
    public void A_name_may_have_up_to_128_characters()
    {
        Assert.Null(AccountNames.Problem(new string('a', AccountNames.MaxLength), "-Name"));
        var problem = AccountNames.Problem(new string('a', AccountNames.MaxLength + 1), "-Name");
        Assert.Contains("is longer than 128 characters", problem, StringComparison.Ordinal);
        Assert.True(problem!.Length < 200, "the name is shortened in the message");
    }
}
