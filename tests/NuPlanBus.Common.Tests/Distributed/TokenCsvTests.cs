using NuPlanBus.Common.Distributed;

namespace NuPlanBus.Common.Tests.Distributed;

public class TokenCsvTests
{
    [Fact]
    public void Writes_the_devkit_format()
    {
        Assert.Equal("0,1\na,1.log\nb,2.log\n", TokenCsv.Write([new ScenarioKey("a", "1.log"), new ScenarioKey("b", "2.log")]));
    }

    [Fact]
    public void No_scenarios_is_a_single_empty_line_and_reads_back_as_nothing()
    {
        Assert.Equal("\n", TokenCsv.Write(Array.Empty<ScenarioKey>()));
        Assert.Empty(TokenCsv.Read<ScenarioKey>("\n", "0.csv"));
        Assert.Empty(TokenCsv.Read<ScenarioKey>(string.Empty, "0.csv"));
        Assert.Empty(TokenCsv.Read<ScenarioKey>("0,1\n", "0.csv"));
    }

    [Fact]
    public void Tokens_stay_strings()
    {
        var keys = TokenCsv.Read<ScenarioKey>("0,1\n0012,0007\n1e5,log\n", "0.csv");
        Assert.Equal([new ScenarioKey("0012", "0007"), new ScenarioKey("1e5", "log")], keys);
    }

    [Fact]
    public void Fields_needing_quotes_round_trip()
    {
        ScenarioKey[] keys = [new("a,b", "say \"hi\""), new("line\nbreak", ""), new(" spaced ", "x\r\ny")];
        var text = TokenCsv.Write(keys);

        Assert.StartsWith("0,1\n\"a,b\",\"say \"\"hi\"\"\"\n", text);
        Assert.Equal(keys, TokenCsv.Read<ScenarioKey>(text, "0.csv"));
    }

    [Fact]
    public void Windows_line_ends_are_accepted()
    {
        Assert.Equal([new ScenarioKey("a", "l")], TokenCsv.Read<ScenarioKey>("0,1\r\na,l\r\n", "0.csv"));
    }

    [Theory]
    [InlineData("0,1\na\n")]
    [InlineData("0,1\na,b,c\n")]
    [InlineData("0,1\n\"a,b\n")]
    public void Malformed_files_are_rejected(string content)
    {
        Assert.Throws<FormatException>(() => TokenCsv.Read<ScenarioKey>(content, "3.csv"));
    }
}
