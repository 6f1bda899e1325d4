variable "sse" {
  type = bool
}

resource "aws_sqs_queue" "events" {
  name                    = "events"
  sqs_managed_sse_enabled = var.sse
}

resource "aws_sqs_queue" "legacy" {
  name              = "legacy"
  kms_master_key_id = ""
}
