variable "stream_key" {
  type = string
}

resource "aws_kinesis_stream" "payments" {
  name            = "payments"
  shard_count     = 1
  encryption_type = "KMS"
  kms_key_id      = var.stream_key
}

resource "aws_kinesis_stream" "metrics" {
  name            = "metrics"
  shard_count     = 1
  encryption_type = "KMS"
  kms_key_id      = "alias/aws/kinesis"
}
