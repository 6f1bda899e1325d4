variable "queue_key_arn" {
  type = string
}

resource "aws_sqs_queue" "payments" {
  name              = "payments.fifo"
  fifo_queue        = true
  kms_master_key_id = var.queue_key_arn
}

resource "aws_sqs_queue" "audit" {
  name                    = "audit"
  sqs_managed_sse_enabled = true
}
