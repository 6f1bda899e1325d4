variable "encrypt_efs" {
  type        = bool
  description = "Whether the file system is encrypted"
}

resource "aws_efs_file_system" "this" {
  creation_token = "app-data"
  encrypted      = var.encrypt_efs
}
