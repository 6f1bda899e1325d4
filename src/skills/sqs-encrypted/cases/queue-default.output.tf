# Work items for the thumbnail workers.
resource "aws_sqs_queue" "jobs" {
  name                       = "thumbnail-jobs"
  visibility_timeout_seconds = 120

  tags = {
    team = "media"
  }
  sqs_managed_sse_enabled = true
}
