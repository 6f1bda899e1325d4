resource "aws_instance" "app" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "m6i.large"
  subnet_id     = "subnet-0a1b2c3d4e5f60718"

  root_block_device {
    volume_size = 50
    volume_type = "gp3"
  }

  # Scratch disk for the batch jobs.
  ebs_block_device {
    device_name = "/dev/sdf"
    volume_size = 200
    encrypted   = false
  }

  tags = {
    Name = "app"
  }
}

resource "aws_instance" "worker" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "c6i.large"
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 500
  type              = "gp3"
}

resource "aws_volume_attachment" "data" {
  device_name = "/dev/sdg"
  volume_id   = aws_ebs_volume.data.id
  instance_id = aws_instance.app.id
}
