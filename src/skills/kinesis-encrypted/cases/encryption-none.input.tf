resource "aws_kms_key" "stream" {
  description = "orders stream"
}

resource "aws_kinesis_stream" "orders" {
  name            = "orders"
  shard_count     = 2
  encryption_type = "NONE"
  kms_key_id      = aws_kms_key.stream.arn
}

resource "aws_kinesis_stream" "audit" {
  name            = "audit"
  shard_count     = 1
  encryption_type = "NONE"
}
