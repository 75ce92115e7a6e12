from django import forms


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        help_text="The address on the membership roll. We will email you a sign-in link.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
