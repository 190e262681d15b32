namespace ReleaseCli.Output;

public enum OutputFormat
{
    Text,
    Json,
}
