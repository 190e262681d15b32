using ReleaseCli.Rings.Staging;

namespace ReleaseCli.Tests.Staging;

public sealed class ZipMadeByNormalizingStreamTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void EveryCentralRecordIsMarkedAsMadeOnUnixAndNothingElseChanges(int chunkSize)
    {
        // Entry data that happens to contain a central header signature and a 0 where a host byte would be.
        byte[] entryData = [0x50, 0x4b, 0x01, 0x02, 0x14, 0x00, 0xAA, 0xBB];
        var first = CentralRecord(host: 0, name: "a.txt", extra: [0xCA, 0xFE]);
        var second = CentralRecord(host: 0, name: "folder/b.txt", extra: []);
        byte[] endOfCentralDirectory = [0x50, 0x4b, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00];

        using var destination = new MemoryStream();
        var stream = new ZipMadeByNormalizingStream(destination);
        WriteInChunks(stream, entryData, chunkSize);
        stream.BeginCentralDirectory();
        WriteInChunks(stream, [.. first, .. second, .. endOfCentralDirectory], chunkSize);

        var expectedFirst = CentralRecord(host: 3, name: "a.txt", extra: [0xCA, 0xFE]);
        var expectedSecond = CentralRecord(host: 3, name: "folder/b.txt", extra: []);
        Assert.Equal([.. entryData, .. expectedFirst, .. expectedSecond, .. endOfCentralDirectory], destination.ToArray());
    }

    private static void WriteInChunks(Stream stream, byte[] bytes, int chunkSize)
    {
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            stream.Write(bytes, offset, Math.Min(chunkSize, bytes.Length - offset));
        }
    }

    // A central file header (APPNOTE 4.3.12) whose fields other than the lengths are filler.
    private static byte[] CentralRecord(byte host, string name, byte[] extra)
    {
        var nameBytes = System.Text.Encoding.ASCII.GetBytes(name);
        var header = new byte[46];
        header[0] = 0x50; header[1] = 0x4b; header[2] = 0x01; header[3] = 0x02;
        header[4] = 0x14;
        header[5] = host;
        for (var i = 6; i < 28; i++)
        {
            header[i] = 0x00;
        }

        header[28] = (byte)nameBytes.Length;
        header[30] = (byte)extra.Length;
        header[38] = 0x00; header[40] = 0xA4; header[41] = 0x81;
        return [.. header, .. nameBytes, .. extra];
    }
}
