using System.Runtime.InteropServices;

namespace GanStream.Pipeline.Kafka.Embedded;

/// <summary>
/// P/Invoke declarations of the librdkafka mock cluster API (rdkafka_mock.h, librdkafka 2.x).
/// Error codes are <c>rd_kafka_resp_err_t</c> values; 0 means no error.
/// </summary>
internal static partial class MockClusterNative
{
    private const string Lib = LibrdkafkaLocator.ImportName;

    internal const int ProducerType = 0;

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_new")]
    internal static partial IntPtr ConfNew();

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfSet(IntPtr conf, string name, string value, byte[] errorText, UIntPtr errorSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_new")]
    internal static partial IntPtr KafkaNew(int type, IntPtr conf, byte[] errorText, UIntPtr errorSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_destroy")]
    internal static partial void KafkaDestroy(IntPtr kafka);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_new")]
    internal static partial IntPtr ClusterNew(IntPtr kafka, int brokerCount);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    internal static partial void ClusterDestroy(IntPtr cluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    internal static partial IntPtr ClusterBootstraps(IntPtr cluster);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int TopicCreate(IntPtr cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_down")]
    internal static partial int BrokerSetDown(IntPtr cluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_up")]
    internal static partial int BrokerSetUp(IntPtr cluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    internal static partial int BrokerSetRtt(IntPtr cluster, int brokerId, int rttMilliseconds);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    internal static partial void PushRequestErrors(IntPtr cluster, short apiKey, UIntPtr count, int[] errors);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    internal static partial void ClearRequestErrors(IntPtr cluster, short apiKey);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_set_controller_id")]
    internal static partial int SetControllerId(IntPtr cluster, int brokerId);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    internal static partial void GroupInitialRebalanceDelay(IntPtr cluster, int delayMilliseconds);

    internal static string ReadError(byte[] errorText)
    {
        int length = Array.IndexOf(errorText, (byte)0);
        return System.Text.Encoding.UTF8.GetString(errorText, 0, length < 0 ? errorText.Length : length);
    }
}
